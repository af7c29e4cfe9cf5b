import { createNlu } from '../src/nlu/index.js';
const nlu = await createNlu({});
for (const t of process.argv.slice(2)) { const d = nlu.decide(t); console.log(t, JSON.stringify({k:d.kind,c:d.category,t:d.tier,d:d.district,s:d.street})); }
