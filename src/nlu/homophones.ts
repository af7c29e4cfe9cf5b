// Homophone typos from pinyin input methods (社报卡 for 社保卡, 公积斤 for 公积金, 进经证 for 进京证): a
// window of 3–4 characters that is not itself a known word but sounds exactly like one known word of the
// vocabulary (knowledge-base words and the lexicon) is replaced by it. Two-character windows are left
// alone: too many everyday words share their sound.
import { pinyin } from 'pinyin-pro';

const MIN = 3;
const MAX = 4;
const HAN_RUN = /[\u3400-\u9fff]+/g;

export class HomophoneFixer {
  private readonly syllable = new Map<string, string>();
  private readonly bySound = new Map<string, string | null>();
  private readonly vocabulary = new Set<string>();

  constructor(vocabulary: Iterable<string>) {
    for (const word of vocabulary) {
      const n = [...word].length;
      if (n < MIN || n > MAX || !/^[\u3400-\u9fff]+$/.test(word) || this.vocabulary.has(word)) continue;
      this.vocabulary.add(word);
      const sound = this.sound(word);
      // Two known words with one sound: a typo could be either, so neither is guessed.
      this.bySound.set(sound, this.bySound.has(sound) && this.bySound.get(sound) !== word ? null : word);
    }
  }

  private sound(word: string): string {
    let key = '';
    for (const ch of word) {
      let s = this.syllable.get(ch);
      if (s === undefined) {
        s = pinyin(ch, { toneType: 'none', type: 'array' })[0] ?? ch;
        this.syllable.set(ch, s);
      }
      key += s + ' ';
    }
    return key;
  }

  fix(text: string): string {
    return text.replace(HAN_RUN, (run) => {
      if (run.length < MIN) return run;
      let out = '';
      for (let i = 0; i < run.length; ) {
        let replaced = false;
        for (let n = Math.min(MAX, run.length - i); n >= MIN; n--) {
          const window = run.slice(i, i + n);
          const word = this.vocabulary.has(window) ? window : this.bySound.get(this.sound(window));
          if (word) { out += word; i += n; replaced = true; break; }
        }
        if (!replaced) { out += run[i]; i++; }
      }
      return out;
    });
  }
}
