// drizzle-kit reads this to generate SQL migrations from src/tickets/schema.ts.
import { defineConfig } from 'drizzle-kit';
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/tickets/schema.ts',
  out: './src/tickets/migrations',
});
