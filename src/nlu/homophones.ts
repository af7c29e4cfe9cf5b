// Homophone typos from pinyin input methods (社报卡 for 社保卡, 公积斤 for 公积金, 进经证 for 进京证): a
// window of 3–4 characters that is not itself a known word but sounds exactly like one known word of the
// vocabulary (knowledge-base words and the lexicon) is replaced by it. Two-character windows are left
// alone: too many everyday words share their sound.
import { charSyllable } from './pinyin-reading.js';

const MIN = 3;
const MAX = 4;
const HAN_RUN = /[\u3400-\u9fff]+/g;

/**
 * The sounds of the vocabulary as a trie over syllables: following a window's syllables from the root reaches
 * the node of its sound, whose `word` is what bySound would say for it (the one word with that sound, null
 * when two words share it). Every message runs this for each 3- and 4-character window, so a window is
 * looked up syllable by syllable instead of building its sound as a string first.
 */
interface SoundNode {
  next?: Map<string, SoundNode>;
  word?: string | null;
}

export class HomophoneFixer {
  private readonly bySound = new Map<string, string | null>();
  private readonly vocabulary = new Set<string>();
  private readonly sounds: SoundNode = {};

  constructor(vocabulary: Iterable<string>) {
    const syllablesOf = new Map<string, string[]>();
    for (const word of vocabulary) {
      const n = [...word].length;
      if (n < MIN || n > MAX || !/^[\u3400-\u9fff]+$/.test(word) || this.vocabulary.has(word)) continue;
      this.vocabulary.add(word);
      const sound = this.sound(word);
      syllablesOf.set(sound, [...word].map((ch) => this.syllableOf(ch)));
      // Two known words with one sound: a typo could be either, so neither is guessed.
      this.bySound.set(sound, this.bySound.has(sound) && this.bySound.get(sound) !== word ? null : word);
    }
    for (const [sound, word] of this.bySound) {
      let node = this.sounds;
      for (const s of syllablesOf.get(sound)!) {
        node.next ??= new Map();
        let child = node.next.get(s);
        if (!child) node.next.set(s, (child = {}));
        node = child;
      }
      node.word = word;
    }
  }

  /**
   * The syllable of every character comes from a table (pinyin-reading.ts): pinyin-pro takes milliseconds for
   * a character it is asked about alone for the first time, which made a message with a character not seen
   * before one of the slowest.
   */
  private syllableOf(ch: string): string {
    return charSyllable(ch);
  }

  private sound(word: string): string {
    let key = '';
    for (const ch of word) key += this.syllableOf(ch) + ' ';
    return key;
  }

  fix(text: string): string {
    return text.replace(HAN_RUN, (run) => {
      if (run.length < MIN) return run;
      // A Han run is all BMP characters, so run[i] is one character.
      const syllables: string[] = new Array(run.length);
      for (let i = 0; i < run.length; i++) syllables[i] = this.syllableOf(run[i]);
      let out = '';
      for (let i = 0; i < run.length; ) {
        let replaced = false;
        for (let n = Math.min(MAX, run.length - i); n >= MIN; n--) {
          // Every vocabulary word's sound is in the trie, so a window whose sound is not there is neither a
          // known word nor a homophone of one.
          let node: SoundNode | undefined = this.sounds;
          for (let k = 0; k < n && node; k++) node = node.next?.get(syllables[i + k]);
          if (node?.word === undefined) continue;
          const window = run.slice(i, i + n);
          const word = this.vocabulary.has(window) ? window : node.word;
          if (word) { out += word; i += n; replaced = true; break; }
        }
        if (!replaced) { out += run[i]; i++; }
      }
      return out;
    });
  }
}
