import 'reflect-metadata';
process.env.PLAN_DB_SCHEMA='dbg_idle'; process.env.LOG_LEVEL='warn'; process.env.PLAN_EVENTS_TOPIC='dbg-idle-topic';
(async () => {
  if (process.env.PATCH === '1') {
    // eslint-disable-next-line
    const RQ = require('kafkajs/src/network/requestQueue');
    const orig = RQ.prototype.scheduleCheckPendingRequests;
    RQ.prototype.scheduleCheckPendingRequests = function (this: any) {
      if (!this.throttleCheckTimeoutId && this.pending.length === 0 && this.throttledUntil - Date.now() <= 0) return;
      return orig.call(this);
    };
  }
  const { createPlanApp } = await import('./src/app');
  const app = await createPlanApp();
  await app.listen(0);
  await new Promise((r) => setTimeout(r, 3000));
  const start = process.cpuUsage();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 10000));
  const used = process.cpuUsage(start);
  console.log(`PATCH=${process.env.PATCH} idle cpu over ${(Date.now()-t0)/1000}s: user ${(used.user/1e6).toFixed(2)}s system ${(used.system/1e6).toFixed(2)}s`);
  await app.close();
  process.exit(0);
})();
