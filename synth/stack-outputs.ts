import {
  TerraformOutput,
  type TerraformBackend,
  type TerraformRemoteState,
  type TerraformStack,
} from "cdktf";

/**
 * Values one stack publishes for others, each a named, described output of its own, read by the
 * other stacks through `terraform_remote_state`. cdktf's implicit cross-stack references would
 * write machine-named, undescribed outputs marked sensitive; these read as hand-written ones.
 */
export class StackOutputs {
  private readonly remote = new Map<TerraformStack, TerraformRemoteState>();
  // Looked up once: cdktf finds it by walking the whole source stack, which grows per tenant.
  private backend?: TerraformBackend;

  constructor(private readonly source: TerraformStack) {}

  /**
   * Declares `name` as an output of the source stack (once; a second call with the same name
   * reuses it) and returns the reference `consumer` reads it through.
   */
  read(consumer: TerraformStack, name: string, description: string, value: string): string {
    this.declare(name, description, value);
    return this.remoteState(consumer).getString(name);
  }

  /** Declares an output of the source stack unless one of that name exists. */
  declare(name: string, description: string, value: string): void {
    if (!this.source.node.tryFindChild(name)) {
      new TerraformOutput(this.source, name, { value, description });
    } else if (!(this.source.node.findChild(name) instanceof TerraformOutput)) {
      throw new Error(`StackOutputs: ${name} names something else than an output in its stack`);
    }
  }

  private remoteState(consumer: TerraformStack): TerraformRemoteState {
    let state = this.remote.get(consumer);
    if (!state) {
      const id = this.source.node.id;
      // Capitalized: stack-level ids from the spec (tenant ids) are lowercase, so this one can
      // never take theirs; the Terraform name is lowercase again (`terraform_remote_state.platform`).
      this.backend ??= this.source.ensureBackendExists();
      state = this.backend.getRemoteStateDataSource(
        consumer,
        `${id[0].toUpperCase()}${id.slice(1)}`,
        id,
      );
      this.remote.set(consumer, state);
    }
    return state;
  }
}
