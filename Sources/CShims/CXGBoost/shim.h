// Thin shim over Debian's libxgboost-dev (XGBoost 1.7, C API). Link flags come from xgboost.pc.
#include <xgboost/c_api.h>
