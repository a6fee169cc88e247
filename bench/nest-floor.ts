/**
 * The framework floor: a bare Nest 11 app on Express (no guards, pipes, filters or logging) that
 * answers every GET with the same JSON body Guildhall's ticket list sends (FLOOR_BODY_FILE). What
 * Nest itself costs per request; Guildhall's hot reads are measured as a share of it.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

const body: unknown = JSON.parse(readFileSync(process.env.FLOOR_BODY_FILE ?? '', 'utf8'));

@Controller()
class FloorController {
  @Get('{*path}')
  answer(): unknown {
    return body;
  }

  @Post('{*path}')
  @HttpCode(200)
  accept(): unknown {
    return body;
  }
}

@Module({ controllers: [FloorController] })
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(FloorModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address && typeof address === 'object') process.stdout.write(`listening ${address.port}\n`);
  process.once('SIGTERM', () => void app.close());
}

void main();
