import type { Mapping } from './emit.ts';

/** zpl's events on its EventBridge bus (`${eventBus}`, filled in at render time), all from one source. */
export interface PutEvents {
  name: string;
  /** The event's id, when it must be stable across retries (the execution's name). */
  id?: string;
  type: string;
  subject: string;
  data: Mapping;
  /** Catch, OutputConstructor, Next or End. */
  then: Mapping;
}

export const putEvents = (e: PutEvents): Mapping => ({
  Name: e.name,
  Type: 'Task',
  Action: 'EventBridge:PutEvents',
  TaskMode: 'RequestComplete',
  Parameters: {
    eventBusName: '${eventBus}',
    ...(e.id && { 'id.$': e.id }),
    source: 'zilliz-privatelink',
    type: e.type,
    'subject.$': e.subject,
    data: e.data,
  },
  ...e.then,
});
