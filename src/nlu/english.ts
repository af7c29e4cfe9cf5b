// English words for retrieval: lower case, stop words out, a light suffix stripper so that
// "permits"/"permit" and "extending"/"extend" meet. Enough for a handful of English FAQ entries.
const STOP = new Set(('a an the i me my we our you your he she it its they them their is am are was were be been being ' +
  'do does did doing have has had of to in on at by for with from about as into over after before up down out ' +
  'and or but if so than then there here this that these those what which who whom when where why how can could ' +
  'should would will shall may might must just very too also not no yes please hi hello thanks thank im i\'m ' +
  'get got any some all more most other such only own same s t don now').split(' '));

export function stemEnglish(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y';
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

export function englishWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z']*|\d+/g) ?? [])
    .filter((w) => !STOP.has(w))
    .map(stemEnglish);
}
