/** 督办 and 督导检查 pages: one lazily loaded chunk for the office routes. */
export { SupervisionListPage, SupervisionDetailPage } from './SupervisionPages';
export { InspectionListPage, NewInspectionPage, InspectionDetailPage } from './InspectionPages';
