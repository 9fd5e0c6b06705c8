export default function OfficeApp() {
  return <main><h1>信访工作平台</h1></main>;
}
