export const engine = 'harper';
