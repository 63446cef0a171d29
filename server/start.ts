// `npm start`. The only file that starts anything; everything else can be imported.
import { main } from './main.ts'

void main()
