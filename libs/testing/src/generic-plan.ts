import type { Pool } from 'pg';

const arrayLiteral = (values: readonly unknown[]): string => `{${values.map((value) => `"${String(value).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/**
 * The generic plan PostgreSQL makes for `text` as a prepared statement, the plan the services' connections run
 * (libs/event-store's PreparingClient forces generic plans), shown by EXPLAIN without running it. `params` are the
 * values of one run. For tests that a hot statement reads its table by index.
 */
export const genericPlanOf = async (pool: Pool, text: string, params: readonly unknown[]): Promise<string> => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
    await client.query(`PREPARE golden_loop_plan_under_test AS ${text}`);
    // EXECUTE takes no bind parameters: the values go as literals, typed by the statement's own casts.
    const literals = params.map((value) => client.escapeLiteral(Array.isArray(value) ? arrayLiteral(value) : String(value))).join(', ');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) EXECUTE golden_loop_plan_under_test(${literals})`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    // A prepared statement outlives the transaction it was made in.
    await client.query('ROLLBACK').catch(() => undefined);
    await client.query('DEALLOCATE golden_loop_plan_under_test').catch(() => undefined);
    client.release();
  }
};
