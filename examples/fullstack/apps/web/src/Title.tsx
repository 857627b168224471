// Edit the heading and save: Vite's HMR, through farm's proxy, updates the page without reloading it.
export function Title() {
  return <h1 data-testid="title">FARM stack</h1>;
}
