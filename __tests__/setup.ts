// cdktf's Jest matchers (`toHaveResource`, `toBeValidTerraform`, ...) in every test file, and their types.
import { setupJest } from 'cdktf/lib/testing/adapters/jest';

setupJest();
