/** The business-hours capability's public face: other folders import only this file. */
export { validateSchedule, scheduleFromColumn } from './schedule';
export { isOpenAt, businessMillisBetween, openWallIntervals, type Schedule } from './open-time';
export { zoneOffset } from './zone-clock';
