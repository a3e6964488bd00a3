// The official FnF SDK ships no types; tests call it dynamically.
declare module '@alicloud/fnf-2019-03-15';
