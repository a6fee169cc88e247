import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiForbiddenResponse,
  ApiGatewayTimeoutResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, RateLimitGroup } from '../auth/auth.decorators';
import { ImageProxyService } from './image-proxy.service';

/** The web app's image loader (contract §2.9): public, as `<img>` requests carry no token. */
@ApiTags('memes')
@Controller('api/proxy')
export class ImageProxyController {
  constructor(private readonly proxy: ImageProxyService) {}

  /**
   * The image at `url`, from an allowed host (or a subdomain of one) on a public address, at most
   * 5 MB; cached for a day by browsers. Rate-limited per address (IMAGE_PROXY_PER_MINUTE).
   */
  @Get('image')
  @Public()
  @RateLimitGroup('image-proxy')
  @ApiQuery({ name: 'url', required: true, description: 'The image URL, percent-encoded' })
  @ApiProduces('image/*')
  @ApiForbiddenResponse({ description: 'URL domain not allowed, or a private address' })
  @ApiBadGatewayResponse({ description: 'The host failed, or the body is not an image of ≤ 5 MB' })
  @ApiGatewayTimeoutResponse({ description: 'Image request timed out' })
  async image(
    @Query('url') url: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const image = await this.proxy.fetch(typeof url === 'string' ? url : undefined);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.setHeader('Access-Control-Allow-Origin', '*');
    // Other origins' <img> tags may show it (helmet's default would refuse them).
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    return new StreamableFile(image.body, { type: image.contentType, length: image.body.length });
  }
}
