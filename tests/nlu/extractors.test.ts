// Unit tests of the slot extractors and detectors, including the tricky cases named in the issue.
import { describe, expect, it } from 'vitest';
import { PlaceFinder } from '../../src/nlu/places.js';
import { PinyinNames, pinyinPlaceName, withoutPinyinName } from '../../src/nlu/pinyin-names.js';
import { extractTime } from '../../src/nlu/time.js';
import { extractPhone } from '../../src/nlu/phone.js';
import { ChitchatDetector } from '../../src/nlu/chitchat.js';
import { detectLang } from '../../src/nlu/lang.js';
import { normalizeForNlu } from '../../src/nlu/normalize.js';
import { CategoryClassifier } from '../../src/nlu/category.js';
import { TierRules } from '../../src/nlu/tier.js';

describe('places', () => {
  const places = new PlaceFinder();
  const find = (t: string) => places.find(normalizeForNlu(t));

  it('walks its trie (small nodes kept as characters and an array) to the alias the longest-first lists give', () => {
    const inside = places as unknown as { aliasesByFirstChar: Map<string, { text: string }[]>; longestAt(text: string, i: number): { text: string } | undefined };
    const lists = inside.aliasesByFirstChar;
    const byLists = (text: string) => lists.get(text[0])?.find((a) => text.startsWith(a.text));
    const texts = [...lists.values()].flat().map((a) => a.text);
    // Each name, the name with what usually follows it, and its first characters alone.
    for (const name of texts) for (const text of [name, `${name}路口东`, name.slice(0, -1)]) expect(inside.longestAt(text, 0), text).toBe(byLists(text));
    expect(texts.length).toBeGreaterThan(5000);
  });

  it('tells 丰台 (the district) from 丰台区 and 丰台街道', () => {
    expect(find('丰台这边有个饭馆')).toEqual({ district: '丰台区' });
    expect(find('丰台区有个饭馆')).toEqual({ district: '丰台区' });
    expect(find('丰台街道有个饭馆')).toEqual({ district: '丰台区', street: '丰台街道' });
    expect(find('丰台区丰台街道有个饭馆')).toEqual({ district: '丰台区', street: '丰台街道' });
  });

  it('does not read 朝阳门 as 朝阳区', () => {
    expect(find('朝阳门附近的路灯坏了')).toEqual({ district: '东城区', street: '朝阳门街道' });
    expect(find('朝阳门外大街堵车').district).not.toBe('东城区');
  });

  it('lets a bare street name imply its district, with or without its suffix', () => {
    expect(find('潘家园这边井盖没了')).toEqual({ district: '朝阳区', street: '潘家园街道' });
    expect(find('门头沟区永定镇河边在烧垃圾')).toEqual({ district: '门头沟区', street: '永定地区' });
    expect(find('朝阳区常营一个小区')).toEqual({ district: '朝阳区', street: '常营地区' });
  });

  it('needs the district when two streets share a name', () => {
    expect(find('八里庄那边').street).toBeUndefined();
    expect(find('海淀区八里庄街道')).toEqual({ district: '海淀区', street: '八里庄街道' });
  });

  it('does not take roads, bridges or everyday words for streets', () => {
    expect(find('海淀区中关村大街上的公交站')).toEqual({ district: '海淀区' });
    expect(find('劲松桥底下辅路塌了')).toEqual({});
    expect(find('我是河北户口')).toEqual({});
    expect(find('过街天桥的灯坏了')).toEqual({});
  });

  it('maps unambiguous landmarks and English district names', () => {
    expect(find('东城区南锣鼓巷买东西被宰')).toEqual({ district: '东城区', street: '交道口街道' });
    expect(find('no heating in our building in chaoyang district')).toEqual({ district: '朝阳区' });
  });

  it('reads street and landmark names written in pinyin, as English speakers write them', () => {
    expect(find('The streetlight outside our building in Sanlitun has been broken for a week')).toEqual({ district: '朝阳区', street: '三里屯街道' });
    expect(find('Jiaodaokou Subdistrict, Dongcheng: the public toilet is locked')).toEqual({ district: '东城区', street: '交道口街道' });
    expect(find('a shop in Nanluoguxiang overcharged me')).toEqual({ district: '东城区', street: '交道口街道' });
    // Split by syllable or hyphenated, any case.
    expect(find('garbage piling up in PAN JIA YUAN')).toEqual({ district: '朝阳区', street: '潘家园街道' });
    expect(find('noise at night near san-li-tun')).toEqual({ district: '朝阳区', street: '三里屯街道' });
    // "Street" is how 街道 is often translated (our own prompts use it).
    expect(find('Lugouqiao Street, Fengtai District')).toEqual({ district: '丰台区', street: '卢沟桥街道' });
  });

  it('writes official names back as English signs do', () => {
    expect(pinyinPlaceName('朝阳区')).toBe('Chaoyang District');
    expect(pinyinPlaceName('三里屯街道')).toBe('Sanlitun Subdistrict');
    expect(pinyinPlaceName('常营地区')).toBe('Changying Area');
    expect(pinyinPlaceName('永定镇')).toBe('Yongding Town');
    expect(pinyinPlaceName('长哨营满族乡')).toBe('Changshaoying Township');
  });

  it('combines names that read the same in pinyin instead of keeping one of them', () => {
    const names = new PinyinNames<string[]>([['三里屯', ['a']], ['三里囤', ['b']], ['望京', ['c']]], (x, y) => [...x, ...y]);
    expect(names.scan('near sanlitun, then wang jing road').map((h) => [h.value, h.context])).toEqual([[['a', 'b'], 'bare'], [['c'], 'road']]);
  });

  it('takes a recognized pinyin name out of a reply, leaving the finer address', () => {
    expect(withoutPinyinName('Building 5, Huizhong compound, Wang-jing Street', '望京街道')).toBe('Building 5, Huizhong compound, ');
    expect(withoutPinyinName('chaoyang district', '朝阳区')).toBe('');
    // Not inside another word.
    expect(withoutPinyinName('Chaoyangmen Gate', '朝阳区')).toBe('Chaoyangmen Gate');
  });

  it('does not take pinyin roads, shared names, English words or parts of words for streets', () => {
    // 三里屯路 is a road: the district it is in is not even named.
    expect(find('a pothole on Sanlitun Road')).toEqual({});
    // Two streets are called 八里庄: only the district says which.
    expect(find('Balizhuang, no water since morning').street).toBeUndefined();
    expect(find('Balizhuang Subdistrict in Haidian District, no water since morning')).toEqual({ district: '海淀区', street: '八里庄街道' });
    // 博兴街道 is "boxing"; 大峪 "dayu" is too short to trust bare, but not as a subdistrict.
    expect(find('there is a boxing gym upstairs making noise')).toEqual({});
    expect(find('my neighbour dayu parks on the sidewalk')).toEqual({});
    expect(find('Dayu Subdistrict: the heating is off')).toEqual({ district: '门头沟区', street: '大峪街道' });
    // Whole words only.
    expect(find('sanlituns and anzhenx are not places')).toEqual({});
  });
});

describe('time', () => {
  const now = new Date('2025-01-15T10:00:00+08:00'); // a Wednesday

  it('normalizes moments and days against the clock', () => {
    expect(extractTime('今天早上7点井盖就没了', now, 'Asia/Shanghai')).toEqual({ text: '今天早上7点', at: '2025-01-15T07:00:00+08:00' });
    expect(extractTime('上周三开始施工的', now, 'Asia/Shanghai')).toEqual({ text: '上周三', at: '2025-01-08' });
    expect(extractTime('昨晚十一点半还在打桩', now, 'Asia/Shanghai')?.at).toBe('2025-01-14T23:30:00+08:00');
  });

  it('reads days and clock times on the configured time zone', () => {
    // 02:00 UTC on the 15th: already the 15th in Beijing, still the 14th in New York (UTC-5 in winter).
    const early = new Date('2025-01-15T02:00:00Z');
    expect(extractTime('今天早上7点井盖就没了', early, 'America/New_York')?.at).toBe('2025-01-14T07:00:00-05:00');
    expect(extractTime('今天早上7点井盖就没了', early, 'Asia/Shanghai')?.at).toBe('2025-01-15T07:00:00+08:00');
    // Summer time: the offset is the one in force on the day named.
    expect(extractTime('今天下午3点', new Date('2025-07-01T12:00:00Z'), 'Europe/Berlin')?.at).toBe('2025-07-01T15:00:00+02:00');
  });

  it('turns spans into ISO durations', () => {
    expect(extractTime('连续三天没有热水', now, 'Asia/Shanghai')).toEqual({ text: '连续三天', duration: 'P3D' });
    expect(extractTime('等了两个多小时', now, 'Asia/Shanghai')?.duration).toBe('PT2H');
    expect(extractTime('拖了半个月', now, 'Asia/Shanghai')?.duration).toBe('P15D');
  });

  it('does not take line, building or floor numbers for times', () => {
    expect(extractTime('地铁13号线车厢太冷', now, 'Asia/Shanghai')).toBeUndefined();
    expect(extractTime('3号楼门口积水', now, 'Asia/Shanghai')).toBeUndefined();
    expect(extractTime('八十年代的老楼', now, 'Asia/Shanghai')).toBeUndefined();
  });
});

describe('phone', () => {
  it('finds mobiles and Beijing landlines, not ID numbers', () => {
    expect(extractPhone('联系我13912345678')).toBe('13912345678');
    expect(extractPhone('电话 139-1234-5678')).toBe('13912345678');
    expect(extractPhone('座机010-62345678')).toBe('010-62345678');
    expect(extractPhone('身份证110101199001011234')).toBeUndefined();
  });
});

describe('chitchat', () => {
  const chitchat = new ChitchatDetector();
  const detect = (t: string) => chitchat.detect(normalizeForNlu(t));

  it('recognizes the kinds', () => {
    expect(detect('你好')).toBe('greeting');
    expect(detect('早上好')).toBe('greeting');
    expect(detect('在吗？？')).toBe('greeting');
    expect(detect('好的，谢谢你啊')).toBe('thanks');
    expect(detect('转人工')).toBe('handoff');
    expect(detect('我要找人工，不想跟机器人说')).toBe('handoff');
    expect(detect('菜单')).toBe('menu');
    expect(detect('再见～')).toBe('bye');
    expect(detect('👍')).toBe('thanks');
    expect(detect('😊')).toBe('noise');
    expect(detect('asdfgh')).toBe('noise');
    expect(detect('。。。')).toBe('noise');
  });

  it('is not chitchat when something of substance follows the greeting', () => {
    expect(detect('你好，社保卡丢了怎么办')).toBeUndefined();
    expect(detect('visa')).toBeUndefined();
  });
});

describe('language, category and tier', () => {
  it('detects English', () => {
    expect(detectLang('how do i extend my visa')).toBe('en');
    expect(detectLang('我的visa到期了怎么办')).toBe('zh');
    // Markup, links and @mentions are not prose: what is left decides.
    expect(detectLang('@北京12345 <img src=x onerror=alert(1)> 谢谢你们')).toBe('zh');
    expect(detectLang('看看这个 https://example.com/some/long/english/path')).toBe('zh');
    expect(detectLang('@北京12345 the street light is broken')).toBe('en');
  });

  it('classifies and sets time limits', () => {
    const categories = new CategoryClassifier();
    const tiers = new TierRules(categories.defaultTier);
    const check = (t: string) => {
      const text = normalizeForNlu(t);
      const category = categories.classify(text);
      return [category, tiers.tier(text, category)];
    };
    expect(check('楼道里一股很大的燃气味')).toEqual(['utilities', '2h']);
    expect(check('小区停水一整天了')).toEqual(['utilities', '24h']);
    expect(check('邻居在楼顶私搭乱建')).toEqual(['illegal-construction', '15d']);
    expect(check('楼下饭馆油烟太大')).toEqual(['pollution', '7d']);
  });
});
