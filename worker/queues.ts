export const CPU_QUEUE = 'correctly-cpu';
export const GPU_QUEUE = 'correctly-gpu';
