export default function PortalApp() {
  return <main><h1>网上信访平台</h1></main>;
}
