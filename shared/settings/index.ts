/** Every setting of the service and the trainer: the table (variables.ts) and its typed readers (read.ts). */
export * from './read';
export { RENAMED, WORKER_VARIABLES } from './variables';
