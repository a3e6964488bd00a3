export { doctorHandler as handler } from '../../shared/doctor/handler.ts';
