/** The task queues: every workflow and CPU stage on one, the LoRA fine-tune alone on the other. */
export const CPU_QUEUE = 'correctly-cpu';
export const GPU_QUEUE = 'correctly-gpu';
/** The task queue the DVC stage driver reports for activities it runs outside Temporal. */
export const OUTSIDE_TEMPORAL_QUEUE = 'dvc-repro';
