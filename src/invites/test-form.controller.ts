import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/auth.decorators';
import { TEST_FORM_HTML, TEST_FORM_JS } from './test-form';

@ApiTags('build-crew')
@SkipThrottle()
@Controller()
export class TestFormController {
  /** Interactive test form for the Build Crew routes. */
  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  form(): string {
    return TEST_FORM_HTML;
  }

  @Get('test-form.js')
  @Public()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return TEST_FORM_JS;
  }
}
