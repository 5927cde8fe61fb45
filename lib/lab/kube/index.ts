export { startKubeApi, type KubeSim, type KubeSimOptions } from './server.js';
export { startChartRepo, packChart, type ChartRepo } from './charts.js';
export { CATALOG, crd, type LabChart } from './catalog.js';
export { NEVER_READY } from './controller.js';
export { KubeStore, type KubeObject } from './store.js';
