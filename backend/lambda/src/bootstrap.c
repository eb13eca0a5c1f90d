/* bootstrap: the Lambda custom runtime entry point (provided.al2023). */
#include "lambda_app.h"

int main(void)
{
    return app_main(NULL);
}
