// Where the ticket workers run during a complaints measurement (a leaf module: the table imports it too).
export type WorkerPlacement = 'gateway' | 'worker1' | 'worker2';

export const PLACEMENT_LABEL: Record<WorkerPlacement, string> = {
  gateway: 'workers in the gateway process',
  worker1: '1 `jiesu worker` process',
  worker2: '2 `jiesu worker` processes',
};
