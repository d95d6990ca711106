export const buildAsyncApiDocument = (): Record<string, unknown> => ({});
