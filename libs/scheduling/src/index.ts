export { CLOCK, ManualClock, processClock, useClock, type Clock } from './clock';
export { SchedulingSchema1764200003000, schedulingMigrations } from './scheduling.migration';
export { Timers, TimerWorker, type DueTimer, type Timer, type TimerBatchHandler, type TimerHandler, type TimerWorkerOptions, type TimerWorkerStatus } from './timers';
