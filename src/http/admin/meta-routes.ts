// Reference data for the console's filters and forms: categories with their Chinese names, districts and
// streets (from intents/places.beijing.json), statuses and channels (with the labels their adapters give).
import express from 'express';
import { readIntentsJson } from '../../nlu/resources.js';
import { categoryIds, categoryLabel, channelLabels, STATUS_LABEL } from '../../reports/labels.js';

interface Places {
  districts: { name: string }[];
  streets: { name: string; district: string }[];
}

export function metaRoutes(): express.Router {
  const r = express.Router();
  let cached: unknown;
  r.get('/api/admin/meta', (_req, res) => {
    if (!cached) {
      const places = readIntentsJson<Places>('places.beijing.json');
      cached = {
        categories: categoryIds().map((id) => ({ id, name: categoryLabel(id) })),
        districts: places.districts.map((d) => d.name),
        streets: places.streets.map((s) => ({ name: s.name, district: s.district })),
        statuses: Object.entries(STATUS_LABEL).map(([id, name]) => ({ id, name })),
        // Each channel's label is its adapter's (channels/<name>/index.ts); the browser's label maps read it here.
        channels: channelLabels(),
      };
    }
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.json(cached);
  });
  return r;
}
