import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { TicketMessage } from './ticket-message.entity';
import { TicketRead } from './ticket-read.entity';
import { TicketSequence } from './ticket-sequence.entity';
import { Ticket } from './ticket.entity';
import { TicketEvents } from './ticket-events';
import { TicketMessages } from './ticket-messages.service';
import { TicketMirror } from './ticket-mirror';
import { TicketTransitions } from './ticket-transitions.service';
import { TicketRoomRelay } from './ticket-room-relay';
import { TicketViewers } from './ticket-viewers';
import { TicketsController } from './tickets.controller';
import { TicketsGateway } from './tickets.gateway';
import { TicketsLifecycle } from './tickets-lifecycle.service';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Ticket, TicketMessage, TicketRead, TicketSequence]),
    AuthModule,
  ],
  controllers: [TicketsController],
  providers: [
    TicketsRepository,
    TicketsService,
    TicketTransitions,
    TicketMessages,
    TicketEvents,
    TicketsGateway,
    TicketsLifecycle,
    TicketMirror,
    TicketViewers,
    TicketRoomRelay,
  ],
  exports: [
    TicketsService,
    TicketTransitions,
    TicketMessages,
    TicketEvents,
    TicketsGateway,
    TicketViewers,
    TicketsRepository,
  ],
})
export class TicketsModule {}
