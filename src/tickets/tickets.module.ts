import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { TicketMessage } from './ticket-message.entity';
import { TicketRead } from './ticket-read.entity';
import { TicketSequence } from './ticket-sequence.entity';
import { Ticket } from './ticket.entity';
import { TicketCommands } from './ticket.commands';
import { TicketEvents } from './ticket-events';
import { TicketMirror } from './ticket-mirror';
import { TicketsController } from './tickets.controller';
import { TicketsGateway } from './tickets.gateway';
import { TicketsLifecycle } from './tickets-lifecycle.service';
import { TicketsService } from './tickets.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Ticket, TicketMessage, TicketRead, TicketSequence]),
    AuthModule,
  ],
  controllers: [TicketsController],
  providers: [
    TicketsService,
    TicketEvents,
    TicketsGateway,
    TicketsLifecycle,
    TicketMirror,
    TicketCommands,
  ],
  exports: [TicketsService, TicketEvents, TicketsGateway],
})
export class TicketsModule {}
