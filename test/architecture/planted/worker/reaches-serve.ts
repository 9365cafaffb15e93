// planted: worker-does-not-import-serving
import { server } from '../serve/server';
export const reach = server;
