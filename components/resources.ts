/** Container resources as the components' chart values take them (config's `ContainerResources` satisfies it). */

/** CPU and memory as Kubernetes quantities (`250m`, `256Mi`). */
export interface Quantities {
    readonly cpu: string;
    readonly memory: string;
}

/** The requests and limits of one container. */
export interface ContainerResources {
    readonly requests: Quantities;
    readonly limits: Quantities;
}
