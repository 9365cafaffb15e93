// planted: serving-does-not-import-the-worker
import { worker } from '../worker/main';
export const reach = worker;
