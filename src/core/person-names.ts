// Masking people's names in free text, for retention (src/tickets/retention.ts): once a closed ticket's
// personal fields are removed, the name must not survive in the complaint's text or in an office's note. Two
// sources: the names we know (the sender's display name), wherever they appear; and names a text introduces
// itself ("我叫李明", "联系人：王小红"). A name keeps its first character and the rest becomes 某 (李某, 王某某),
// the way Chinese public documents anonymise people; a surname with a title (张先生, 王女士) names no one and
// stays.

/** Common single-character surnames (about nine in ten people in China carry one of these). */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '令狐', '慕容', '司徒', '夏侯', '公孙', '长孙', '宇文'];
const TITLES = ['先生', '女士', '小姐', '师傅', '阿姨', '大爷', '大妈', '大姐', '大哥', '老师', '同志', '同学', '经理', '主任', '老人', '奶奶', '爷爷'];

const TITLE_AFTER_SURNAME = new RegExp(`^(?:${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])(?:${TITLES.join('|')})$`, 'u');

/**
 * Words that introduce a name: self-introductions, contact and signature lines. Not 业主 or 户主: complaints
 * say "业主向物业反映" far more often than they name an owner, and 向 is a surname too.
 */
const CUES = ['我叫', '我的名字叫', '我的名字是', '本人叫', '本人姓名', '姓名', '联系人', '署名'];
const INTRODUCED = new RegExp(
  `(${CUES.join('|')})((?:是|为)?[:：]?\\s*)(${COMPOUND_SURNAMES.join('|')}|[${SURNAMES}])(?!${TITLES.join('|')})(\\p{Script=Han}{1,2})`,
  'gu',
);

/** 李明 → 李某, 欧阳小红 → 欧阳某某, Zhang Wei → Z. W. */
export function maskedName(name: string): string {
  if (/^\p{Script=Han}+$/u.test(name)) {
    const surname = COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > s.length) ?? name[0];
    return surname + '某'.repeat(name.length - surname.length);
  }
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${[...part][0]}.`)
    .join(' ');
}

/** `text` with the known names and the names it introduces masked (see the top of this file). */
export function maskPersonNames(text: string, known: (string | null | undefined)[] = []): string {
  let out = text;
  for (const raw of known) {
    const name = raw?.trim();
    // One character is not a name to search for, and a surname with a title identifies no one.
    if (!name || [...name].length < 2 || TITLE_AFTER_SURNAME.test(name)) continue;
    out = out.split(name).join(maskedName(name));
  }
  return out.replace(INTRODUCED, (_m, cue: string, joiner: string, surname: string, given: string) => `${cue}${joiner}${surname}${'某'.repeat(given.length)}`);
}
