/** JFLEG dev for tests: the same loader the evaluation stage uses. */
export { JFLEG_DIR, jfleg, loadJfleg } from '../../adapters/jfleg';
