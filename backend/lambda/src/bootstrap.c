/* bootstrap: the Lambda custom runtime entry point (provided.al2023). */
#include "app.h"

int main(void)
{
    return app_main(NULL);
}
