/** The business-hours capability's public face: other folders import only this file. */
export { validateSchedule, scheduleFromColumn } from './schedule';
export { isOpenAt, businessMillisBetween, openWallIntervals, type Schedule } from './open-time';
export { zoneOffset } from './zone-clock';
export { hoursAt, OUT_OF_OFFICE_BURST_MS, type HoursVerdict } from './out-of-office';
