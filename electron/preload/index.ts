/**
 * Sandboxed preload (bundled to one CommonJS file): exposes `window.hearth` and nothing else.
 * ipcRenderer itself never reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('hearth', createBridge(ipcRenderer, webUtils));
