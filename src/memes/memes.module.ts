import { Module } from '@nestjs/common';
import { ImageProxyController } from './image-proxy.controller';
import { ImageProxyService } from './image-proxy.service';

/** Memes for the app: so far the image proxy its web build loads meme images and rank icons with. */
@Module({
  controllers: [ImageProxyController],
  providers: [ImageProxyService],
})
export class MemesModule {}
