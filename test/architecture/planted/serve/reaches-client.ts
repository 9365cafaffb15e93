// planted: serving-and-workers-stay-apart
import { cli } from '../client/cli';
export const reach = cli;
