// Every workflow the workers register. Workflow code is deterministic: no I/O, only activities.
export { stackHealthCheck } from './health-check';
export { retrainingPipeline, generateBatchWorkflow } from './pipeline';
export { retrainingController } from './controller';
export { driftCheckWorkflow } from './drift-check';
