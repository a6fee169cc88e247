import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import specs from '@asyncapi/specs';
import { ApiProperty } from '@nestjs/swagger';
import Ajv from 'ajv';
import { ASYNCAPI_SPEC_FILE, currentSpecs, outdatedSpecs } from '../src/openapi-cli';
import { SocketErrorDto } from '../src/tickets/dto/socket.dto';
import { createTestApp, type TestApp } from './support/app';
import { ROOT } from './support/process';

const committed = () =>
  JSON.parse(readFileSync(join(ROOT, ASYNCAPI_SPEC_FILE), 'utf8')) as Record<string, unknown>;

describe('AsyncAPI document of the live chat', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is served at /docs/asyncapi.json as committed (run npm run openapi:generate after a change)', async () => {
    const res = await t.http().get('/docs/asyncapi.json').expect(200);
    expect(res.body).toEqual(committed());
  });

  it('validates against the AsyncAPI 3 schema', () => {
    // The AsyncAPI schema bundles its own copy of the draft-07 meta-schema.
    const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false });
    const validate = ajv.compile(specs.schemas['3.0.0'] as object);
    const valid = validate(committed());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema does check: an operation that neither sends nor receives is refused.
    const broken = committed() as { operations: Record<string, { action: string }> };
    broken.operations.send_join_ticket.action = 'shout';
    expect(validate(broken)).toBe(false);
  });

  it('describes every event of the protocol with the schema of its DTO', () => {
    const doc = committed() as {
      operations: Record<string, { action: string }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    const sent = Object.entries(doc.operations)
      .filter(([, operation]) => operation.action === 'send')
      .map(([name]) => name);
    expect(sent.sort()).toEqual(['send_join_ticket', 'send_leave_ticket']);
    for (const event of [
      'message_history',
      'new_message',
      'ticket_update',
      'left_ticket',
      'broadcast',
      'error',
    ])
      expect(doc.operations[`receive_${event}`]).toMatchObject({ action: 'receive' });
    expect(Object.keys(doc.components.schemas.NewMessageEventDto.properties).sort()).toEqual([
      'message',
      'messageData',
      'ticket_id',
    ]);
  });

  it('goes out of date, for the drift check, when a payload DTO changes', async () => {
    expect(outdatedSpecs(await currentSpecs(), ROOT)).toEqual([]);
    ApiProperty({ type: String, description: 'A field the committed document does not have.' })(
      SocketErrorDto.prototype,
      'added_field',
    );
    expect(outdatedSpecs(await currentSpecs(), ROOT)).toEqual([ASYNCAPI_SPEC_FILE]);
  });
});
