// The app's pages. Each view is a module with mount(container, params) that returns an optional
// unmount(); adding a page is one entry here and one module.
export const VIEWS = [
  { id: 'ask', label: 'Ask', load: () => import('./views/ask.js') },
  { id: 'missions', label: 'Missions', load: () => import('./views/missions.js') },
  { id: 'experts', label: 'Experts', load: () => import('./views/experts.js') },
  { id: 'knowledge', label: 'Knowledge', load: () => import('./views/knowledge.js') },
];

export const DEFAULT_VIEW = 'ask';
