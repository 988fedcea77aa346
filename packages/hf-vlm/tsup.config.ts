import { cppoBuild } from "../../config/tsup.preset";

export default cppoBuild();
