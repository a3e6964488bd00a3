export { reportHandler as handler } from '../../shared/steps/handler.ts';
