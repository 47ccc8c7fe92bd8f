#include "cli/cli.h"

int cmd_audit(int argc, char **argv)
{
        return BH_EXIT_FAILED;
}
