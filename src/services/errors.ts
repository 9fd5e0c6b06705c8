/** Errors a service raises on purpose; http/ turns them into the contract's JSON error body. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;

export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badInput = (message: string, fields?: Record<string, string>) => new AppError(400, 'bad_input', message, fields);
export const notLoggedIn = () => new AppError(401, 'not_logged_in', '请先登录');
export const forbidden = (message = '您没有权限执行此操作') => new AppError(403, 'forbidden', message);
export const notFound = (message = '未找到该信访件，或您无权查看') => new AppError(404, 'not_found', message);
export const conflict = (message: string, code = 'conflict') => new AppError(409, code, message);
