import { createApp } from 'vue'
import App from './App.vue'
import 'vue-echarts/style.css'
import './styles.css'

createApp(App).mount('#app')
