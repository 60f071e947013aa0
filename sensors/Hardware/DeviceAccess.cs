namespace Diode.Edge.Sensors.Hardware;

/// <summary>Checks that this process may open a device node, and says which group to join when it may not.</summary>
internal static class DeviceAccess
{
    public static void CheckReadWrite(string node, string group)
    {
        try
        {
            using var stream = new FileStream(node, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            string user = Environment.UserName;
            throw new SensorStartException(
                $"permission denied on {node}: add user {user} to group {group} (sudo usermod -aG {group} {user}, then restart the service; the diode-edge package's unit has SupplementaryGroups={group})",
                ex);
        }
        catch (IOException)
        {
            // Opening a device node can fail for reasons the binding reports better (e.g. EBUSY); the binding's own open says.
        }
    }
}
