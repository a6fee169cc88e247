import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ValidationFailed } from './domain-error';
import { createValidationPipe } from './validation';

class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsString()
  status?: string;
}

class TagsQuery {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  tag?: string[];
}

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'query',
  metatype,
});

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailed);
    return (error as ValidationFailed).message;
  }
  throw new Error('the query was accepted');
}

describe('the global validation pipe on queries', () => {
  it('answers a repeated query with an instance of its own each time', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ limit: '5' }, query(PageQuery))) as PageQuery;
    expect(first).toBeInstanceOf(PageQuery);
    expect(first).toEqual({ limit: 5 });
    first.limit = 99;
    first.status = 'changed';
    const second = (await pipe.transform({ limit: '5' }, query(PageQuery))) as PageQuery;
    expect(second).toBeInstanceOf(PageQuery);
    expect(second).not.toBe(first);
    expect(second).toEqual({ limit: 5 });
  });

  it('refuses a bad query every time, with the same messages, also after a good one', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({ limit: '5' }, query(PageQuery));
    const once = await refusal(pipe.transform({ limit: '500' }, query(PageQuery)));
    const again = await refusal(pipe.transform({ limit: '500' }, query(PageQuery)));
    expect(again).toEqual(once);
    await refusal(pipe.transform({ limit: '5', extra: '1' }, query(PageQuery)));
    expect(await pipe.transform({ limit: '5' }, query(PageQuery))).toEqual({ limit: 5 });
  });

  it('keeps queries of different DTOs apart', async () => {
    const pipe = createValidationPipe();
    expect(await pipe.transform({}, query(PageQuery))).toBeInstanceOf(PageQuery);
    expect(await pipe.transform({}, query(TagsQuery))).toBeInstanceOf(TagsQuery);
    await refusal(pipe.transform({ tag: ['a'] }, query(PageQuery)));
  });

  it('gives each request its own arrays', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ tag: ['a', 'b'] }, query(TagsQuery))) as TagsQuery;
    first.tag?.push('pushed');
    const second = (await pipe.transform({ tag: ['a', 'b'] }, query(TagsQuery))) as TagsQuery;
    expect(second.tag).toEqual(['a', 'b']);
  });
});
