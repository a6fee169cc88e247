import {
  BadRequestException,
  ForbiddenException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import { DomainError, ValidationFailed } from './domain-error';
import { toErrorResponse } from './error-body';

describe('toErrorResponse', () => {
  it('maps a domain error to its status, message and machine code', () => {
    expect(
      toErrorResponse(new DomainError('INVITE_EXHAUSTED', 410, 'Invite code is used up')),
    ).toEqual({
      body: { error: 'Invite code is used up', code: 410, error_code: 'INVITE_EXHAUSTED' },
      expected: true,
    });
  });

  it('lists validation details', () => {
    const { body } = toErrorResponse(
      new ValidationFailed([{ field: 'role', message: 'role must be BC1' }]),
    );
    expect(body).toEqual({
      error: 'role must be BC1',
      code: 400,
      error_code: 'VALIDATION_FAILED',
      details: [{ field: 'role', message: 'role must be BC1' }],
    });
  });

  it('maps the router miss to the HazeBot wording and other HTTP errors by status', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /nope')).body).toEqual({
      error: 'Endpoint not found',
      code: 404,
      error_code: 'ROUTE_NOT_FOUND',
    });
    expect(toErrorResponse(new ForbiddenException('Insufficient permissions')).body).toEqual({
      error: 'Insufficient permissions',
      code: 403,
      error_code: 'FORBIDDEN',
    });
    expect(toErrorResponse(new BadRequestException(['a is bad', 'b is bad'])).body.error).toBe(
      'a is bad; b is bad',
    );
  });

  it('hides the internals of unexpected errors', () => {
    for (const error of [
      new Error('password=hunter2'),
      new InternalServerErrorException('db at 10.0.0.3'),
      'text',
    ]) {
      expect(toErrorResponse(error)).toEqual({
        body: { error: 'An unexpected error occurred', code: 500, error_code: 'INTERNAL_ERROR' },
        expected: false,
      });
    }
  });
});
