// Integer query and body parameters, checked once with an error naming the parameter and value.
import { HttpError } from '../http-error.ts';

export function integerParam(
  text: string | null | undefined,
  name: string,
  min: number,
  max: number,
): number {
  const value = Number(text);
  if (
    text === null ||
    text === undefined ||
    text.trim() === '' ||
    !Number.isSafeInteger(value) ||
    value < min ||
    value > max
  ) {
    throw new HttpError(400, `Invalid ${name} '${text}': expected an integer ${min}-${max}`);
  }
  return value;
}

export function optionalIntegerParam(
  text: string | null | undefined,
  name: string,
  min: number,
  max: number,
): number | null {
  return text === null || text === undefined || text === '' ? null : integerParam(text, name, min, max);
}
